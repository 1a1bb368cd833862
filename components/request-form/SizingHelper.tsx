"use client";

import { useId, useState } from "react";
import { suggestSizing } from "@/lib/arc/sizing";
import { inputClass } from "./Field";

/** Jobs per hour × job duration → how many runners are busy on average, and a min/max to start from. */
export function SizingHelper({ ceiling, onUse }: { ceiling: number; onUse: (min: number, max: number) => void }) {
  const id = useId();
  const [minutes, setMinutes] = useState("");
  const [perHour, setPerHour] = useState("");
  const s = suggestSizing(Number(minutes), Number(perHour), ceiling);
  return (
    <div className="rounded-md border border-sky-200 bg-sky-50 p-3">
      <p className="text-sm font-medium text-sky-900">Sizing helper</p>
      <p className="text-xs text-sky-800">
        The right size depends on how long your jobs take and how often they come. Runners beyond the minimum start on
        demand, which takes a few minutes with large GPU images.
      </p>
      <div className="mt-2 grid grid-cols-2 gap-3">
        <div>
          <label htmlFor={`${id}-minutes`} className="block text-xs font-medium text-sky-900">
            Typical job duration (minutes)
          </label>
          <input id={`${id}-minutes`} inputMode="decimal" className={inputClass} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-per-hour`} className="block text-xs font-medium text-sky-900">
            Jobs per hour at busy times
          </label>
          <input id={`${id}-per-hour`} inputMode="decimal" className={inputClass} value={perHour} onChange={(e) => setPerHour(e.target.value)} />
        </div>
      </div>
      {s ? (
        <div className="mt-2 flex items-center gap-3 text-sm text-sky-900" data-testid="sizing-suggestion">
          <span>
            About <strong>{s.busyRunners.toFixed(1)}</strong> runners busy on average. Suggested: min <strong>{s.minRunners}</strong>, max{" "}
            <strong>{s.maxRunners}</strong>
            {s.cappedByCeiling ? " (capped by the cluster's ceiling)" : ""}.
          </span>
          <button type="button" onClick={() => onUse(s.minRunners, s.maxRunners)} className="rounded border border-sky-400 bg-white px-2 py-0.5 text-xs hover:bg-sky-100">
            Use these
          </button>
        </div>
      ) : null}
    </div>
  );
}
