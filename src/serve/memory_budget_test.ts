import { equal, throws } from "node:assert/strict";
import { deepStrictEqual } from "node:assert/strict";
import { UsageError } from "../errors.ts";
import {
  anonymousResidentBytes,
  cgroupMemoryLimit,
  DEFAULT_FETCH_SIZING,
  fetchSizing,
  parseMemorySize,
  resolveMemoryBudget,
} from "./memory_budget.ts";

const MIB = 1024 * 1024;

function files(entries: Record<string, string>): (path: string) => string | undefined {
  return (path) => entries[path];
}

// A v1 host as seen from a process in /kubepods/pod1/c1 (no cgroup namespace).
const V1_MOUNTINFO = [
  "25 24 0:22 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755",
  "30 25 0:27 / /sys/fs/cgroup/cpu rw,nosuid shared:13 - cgroup cgroup rw,cpu",
  "31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid shared:14 - cgroup cgroup rw,memory",
  "32 25 0:29 / /sys/fs/cgroup/unified rw,nosuid shared:15 - cgroup2 cgroup2 rw",
].join("\n");
const V1_CGROUP = "9:memory:/kubepods/pod1/c1\n4:cpu:/kubepods/pod1/c1\n0::/\n";

Deno.test("cgroupMemoryLimit: v1, the tightest limit on the path counts", () => {
  const read = files({
    "/proc/self/cgroup": V1_CGROUP,
    "/proc/self/mountinfo": V1_MOUNTINFO,
    "/sys/fs/cgroup/memory/kubepods/pod1/c1/memory.limit_in_bytes": "9223372036854771712\n",
    "/sys/fs/cgroup/memory/kubepods/pod1/memory.limit_in_bytes": `${256 * MIB}\n`,
    "/sys/fs/cgroup/memory/kubepods/memory.limit_in_bytes": `${4096 * MIB}\n`,
    "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
  });
  equal(cgroupMemoryLimit(read), 256 * MIB);
});

Deno.test("cgroupMemoryLimit: v2 memory.max, 'max' is no limit", () => {
  const mountinfo = "29 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw";
  const read = files({
    "/proc/self/cgroup": "0::/system.slice/dashflow-exporter.service\n",
    "/proc/self/mountinfo": mountinfo,
    "/sys/fs/cgroup/system.slice/dashflow-exporter.service/memory.max": `${96 * MIB}\n`,
    "/sys/fs/cgroup/system.slice/memory.max": "max\n",
  });
  equal(cgroupMemoryLimit(read), 96 * MIB);
  equal(
    cgroupMemoryLimit(files({
      "/proc/self/cgroup": "0::/\n",
      "/proc/self/mountinfo": mountinfo,
      "/sys/fs/cgroup/memory.max": "max\n",
    })),
    undefined,
  );
});

Deno.test("cgroupMemoryLimit: inside a cgroup namespace (container), paths are relative", () => {
  const read = files({
    "/proc/self/cgroup": "0::/\n",
    "/proc/self/mountinfo": "700 690 0:26 / /sys/fs/cgroup ro - cgroup2 cgroup2 rw",
    "/sys/fs/cgroup/memory.max": "268435456\n",
  });
  equal(cgroupMemoryLimit(read), 256 * MIB);
});

Deno.test("cgroupMemoryLimit: no /proc (not Linux) or no memory controller", () => {
  equal(cgroupMemoryLimit(files({})), undefined);
  equal(
    cgroupMemoryLimit(files({
      "/proc/self/cgroup": "4:cpu:/x\n",
      "/proc/self/mountinfo": V1_MOUNTINFO,
    })),
    undefined,
  );
});

Deno.test("parseMemorySize: Kubernetes and systemd spellings", () => {
  const source = { source: "--max-memory" };
  equal(parseMemorySize("256Mi", source), 256 * MIB);
  equal(parseMemorySize("1Gi", source), 1024 * MIB);
  equal(parseMemorySize("200MB", source), 200e6);
  equal(parseMemorySize("200M", source), 200e6);
  equal(parseMemorySize("268435456", source), 256 * MIB);
  equal(parseMemorySize(" 0.5Gi ", source), 512 * MIB);
  throws(() => parseMemorySize("lots", source), (e: Error) => {
    equal(e instanceof UsageError, true);
    equal(
      e.message,
      "Invalid --max-memory 'lots': expected a size such as 256Mi, 200MB or 268435456",
    );
    return true;
  });
  throws(() => parseMemorySize("32Mi", source), /at least 64Mi is needed/);
});

Deno.test("resolveMemoryBudget: flag, then env, then cgroup; off turns it off", () => {
  const detect = () => 128 * MIB;
  deepStrictEqual(
    resolveMemoryBudget("200Mi", { DASHFLOW_EXPORTER_MAX_MEMORY: "100Mi" }, { detect }),
    {
      bytes: 200 * MIB,
      source: "--max-memory",
    },
  );
  deepStrictEqual(
    resolveMemoryBudget(undefined, { DASHFLOW_EXPORTER_MAX_MEMORY: "100Mi" }, { detect }),
    {
      bytes: 100 * MIB,
      source: "DASHFLOW_EXPORTER_MAX_MEMORY",
    },
  );
  deepStrictEqual(resolveMemoryBudget(undefined, {}, { detect }), {
    bytes: 128 * MIB,
    source: "cgroup",
  });
  equal(resolveMemoryBudget("off", {}, { detect }), undefined);
  equal(
    resolveMemoryBudget(undefined, { DASHFLOW_EXPORTER_MAX_MEMORY: "OFF" }, { detect }),
    undefined,
  );
  equal(resolveMemoryBudget(undefined, {}, { detect: () => undefined }), undefined);
});

Deno.test("fetchSizing: a fetch is 1/64 of the budget, at most 4 MiB per partition", () => {
  deepStrictEqual(fetchSizing(undefined), DEFAULT_FETCH_SIZING);
  deepStrictEqual(fetchSizing({ bytes: 256 * MIB, source: "cgroup" }), {
    maxBytes: 4 * MIB,
    maxBytesPerPartition: 4 * MIB,
  });
  deepStrictEqual(fetchSizing({ bytes: 96 * MIB, source: "cgroup" }), {
    maxBytes: 1.5 * MIB,
    maxBytesPerPartition: 1.5 * MIB,
  });
  deepStrictEqual(fetchSizing({ bytes: 8 * 1024 * MIB, source: "cgroup" }), {
    maxBytes: 10 * MIB,
    maxBytesPerPartition: 4 * MIB,
  });
  deepStrictEqual(fetchSizing({ bytes: 16 * MIB, source: "cgroup" }), {
    maxBytes: MIB,
    maxBytesPerPartition: MIB,
  });
});

Deno.test("anonymousResidentBytes: RssAnon of /proc/self/status, or undefined", () => {
  const status = "Name:\tx\nVmRSS:\t  90000 kB\nRssAnon:\t   51200 kB\nRssFile:\t 38800 kB\n";
  equal(anonymousResidentBytes(files({ "/proc/self/status": status })), 50 * MIB);
  equal(anonymousResidentBytes(files({})), undefined);
});
