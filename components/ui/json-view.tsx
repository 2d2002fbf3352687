"use client";

import { useId, useState } from "react";
import { CopyButton } from "./copy-button";

// A decoded payload as a collapsible tree. Every value is a React text node:
// whatever a provider sends, nothing in it is ever interpreted as HTML.

type Container = { kind: "object"; entries: [string, unknown][] } | { kind: "array"; entries: [string, unknown][] };

function asContainer(value: unknown): Container | null {
  if (Array.isArray(value)) return { kind: "array", entries: value.map((item, index) => [String(index), item]) };
  if (value !== null && typeof value === "object") return { kind: "object", entries: Object.entries(value) };
  return null;
}

const OPEN_DEPTH = 2;

function Key({ name, index }: { name: string; index: boolean }) {
  return <span className={index ? "text-slate-500" : "text-indigo-800"}>{index ? name : JSON.stringify(name)}: </span>;
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === "string") return <span className="break-all text-emerald-800">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="text-sky-800">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="text-purple-800">{String(value)}</span>;
  if (value === null) return <span className="text-slate-500">null</span>;
  return <span className="text-slate-500">{String(value)}</span>;
}

type NodeProps = { name: string | null; index: boolean; value: unknown; depth: number; openAll: boolean | null; last: boolean };

function JsonNode({ name, index, value, depth, openAll, last }: NodeProps) {
  const container = asContainer(value);
  const [open, setOpen] = useState(openAll ?? depth < OPEN_DEPTH);
  const childrenId = useId();
  const comma = last ? "" : ",";
  if (!container) {
    return (
      <div className="pl-5">
        {name !== null ? <Key name={name} index={index} /> : null}
        <Primitive value={value} />
        {comma}
      </div>
    );
  }
  const [opening, closing] = container.kind === "array" ? ["[", "]"] : ["{", "}"];
  const count = container.entries.length;
  const noun = container.kind === "array" ? (count === 1 ? "item" : "items") : count === 1 ? "key" : "keys";
  if (count === 0) {
    return (
      <div className="pl-5">
        {name !== null ? <Key name={name} index={index} /> : null}
        {opening}
        {closing}
        {comma}
      </div>
    );
  }
  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={childrenId}
        aria-label={`${name ?? "payload"}: ${container.kind} with ${count} ${noun}`}
        onClick={() => setOpen(!open)}
        className="flex w-full items-baseline gap-1 rounded text-left hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
      >
        <span aria-hidden="true" className="inline-block w-4 text-slate-500">
          {open ? "▾" : "▸"}
        </span>
        <span>
          {name !== null ? <Key name={name} index={index} /> : null}
          {opening}
          {open ? null : (
            <span className="text-slate-500">
              {" "}
              {count} {noun} {closing}
              {comma}
            </span>
          )}
        </span>
      </button>
      <div id={childrenId} hidden={!open} className="ml-2 border-l border-slate-200 pl-3">
        {container.entries.map(([key, child], position) => (
          <JsonNode
            key={key}
            name={key}
            index={container.kind === "array"}
            value={child}
            depth={depth + 1}
            openAll={openAll}
            last={position === count - 1}
          />
        ))}
      </div>
      {open ? (
        <div className="pl-5">
          {closing}
          {comma}
        </div>
      ) : null}
    </div>
  );
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  // Remounting the tree with a new key applies "expand all" / "collapse all" to every node.
  const [view, setView] = useState<{ version: number; openAll: boolean | null }>({ version: 0, openAll: null });
  const toolButton =
    "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400";
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <button type="button" className={toolButton} onClick={() => setView({ version: view.version + 1, openAll: true })}>
          Expand all
        </button>
        <button type="button" className={toolButton} onClick={() => setView({ version: view.version + 1, openAll: false })}>
          Collapse all
        </button>
        <CopyButton text={JSON.stringify(value, null, 2)} label={`Copy ${label} as JSON`} />
      </div>
      <div
        key={view.version}
        role="group"
        aria-label={label}
        className="max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed"
      >
        <JsonNode name={null} index={false} value={value} depth={0} openAll={view.openAll} last />
      </div>
    </div>
  );
}
