/// <reference lib="dom" />
import type uPlot from 'uplot';
import type { ZoneRange } from '../../../common/report';
import { formatSeconds } from './format';

/**
 * The zones of a zones file on the segment charts (issue 26): each zone's exact range shaded under
 * the series, its edges dashed, and its label (`zone 2: target-vmaf=95`) as a DOM strip across the
 * top of that range, so it is read as text (and by screen readers), not painted into the canvas.
 */

/** Shades each zone's [start, end) over the plot's full height, under the bars (a drawClear hook). */
export function shadeZones(u: uPlot, zones: readonly ZoneRange[], colour: string): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  zones.forEach((zone, i) => {
    const left = u.valToPos(zone.startSeconds, 'x', true);
    const right = u.valToPos(zone.endSeconds, 'x', true);
    ctx.fillStyle = colour;
    // Neighbouring zones told apart by their shade as well as by the edge between them.
    ctx.globalAlpha = i % 2 ? 0.1 : 0.16;
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.globalAlpha = 0.7;
    ctx.strokeStyle = colour;
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = Math.max(1, Math.round(devicePixelRatio));
    ctx.beginPath();
    for (const x of [left, right]) {
      ctx.moveTo(Math.round(x) + 0.5, bbox.top);
      ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
    }
    ctx.stroke();
  });
  ctx.restore();
}

/** The zones' labels, one strip over each zone's range inside the plot area (a draw hook: redone on every redraw). */
export function labelZones(u: uPlot, zones: readonly ZoneRange[]): void {
  u.over.querySelectorAll('.zone-label').forEach((node) => node.remove());
  for (const zone of zones) {
    const left = u.valToPos(zone.startSeconds, 'x');
    const right = u.valToPos(zone.endSeconds, 'x');
    const label = document.createElement('div');
    label.className = 'zone-label';
    label.dataset.zone = String(zone.index);
    label.style.left = `${left}px`;
    label.style.width = `${Math.max(0, right - left)}px`;
    label.textContent = zone.label;
    label.title = `${zone.label}: frames ${zone.startFrame}–${zone.endFrame - 1}, ${formatSeconds(zone.startSeconds)}–${formatSeconds(zone.endSeconds)}, segment${zone.segments.length > 1 ? 's' : ''} ${zone.segments.join(', ')}`;
    u.over.appendChild(label);
  }
}

/** The hooks that mark the zones on a chart; none without zones. */
export function zoneHooks(zones: readonly ZoneRange[] | undefined, colour: string): Partial<uPlot.Hooks.Arrays> {
  if (!zones?.length) return {};
  return { drawClear: [(u) => shadeZones(u, zones, colour)], draw: [(u) => labelZones(u, zones)] };
}
