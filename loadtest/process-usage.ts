// CPU and memory of the processes under load, read from /proc: CPU from utime+stime
// deltas once a second; memory as the peak resident set (VmHWM) of a single process, or
// the peak sum of the proportional set sizes (Pss: shared pages split between their
// users) of a group such as PostgreSQL's processes, every 10 s: reading Pss walks a
// process's page tables, some 3 ms for each PostgreSQL process here.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc's CPU times, is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const SAMPLE_EVERY_MS = 1000;
const SHARED_MEMORY_EVERY = 10;

export interface WatchedProcess {
  name: string;
  /** The processes it is made of now (a restarted instance is a new pid; none while it is down). */
  pids(): readonly number[];
  /** `peak`: its one process's VmHWM; `shared`: the sum of its processes' Pss. */
  memory: 'peak' | 'shared';
}

export interface ProcessUsage {
  name: string;
  /** Of one core: 200 is both cores of this machine, busy. */
  cpuPercent: number;
  peakRssMb: number;
}

export interface MachineUsage {
  processes: ProcessUsage[];
  /** The whole machine's CPU over the same time, every process on it (of one core). */
  machineCpuPercent: number;
}

interface Seen {
  first: number;
  last: number;
}

export class ProcessSampler {
  private readonly seen = new Map<string, Map<number, Seen>>();
  private readonly peakMb = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private readonly machineAtStart = machineBusyTicks();
  private samples = 0;

  constructor(private readonly watched: readonly WatchedProcess[]) {
    for (const { name } of watched) this.seen.set(name, new Map());
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  /** Takes a last sample and says what each used since the sampler started. */
  stop(): MachineUsage {
    clearInterval(this.timer);
    this.sample(true);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const percent = (ticks: number) => (100 * ticks) / TICKS_PER_SECOND / seconds;
    const processes = this.watched.map(({ name }) => {
      let ticks = 0;
      for (const { first, last } of this.seen.get(name)?.values() ?? []) ticks += last - first;
      return { name, cpuPercent: percent(ticks), peakRssMb: this.peakMb.get(name) ?? Number.NaN };
    });
    return { processes, machineCpuPercent: percent(machineBusyTicks() - this.machineAtStart) };
  }

  private sample(final = false): void {
    const sharedMemory = final || this.samples % SHARED_MEMORY_EVERY === 0;
    for (const target of this.watched) {
      const seen = this.seen.get(target.name) ?? new Map<number, Seen>();
      let memoryMb = 0;
      for (const pid of target.pids()) {
        const ticks = cpuTicks(pid);
        if (ticks === undefined) continue;
        // A process born during the run (a restarted instance, a new connection's backend) counts from its start.
        const known = seen.get(pid) ?? { first: this.samples === 0 ? ticks : 0, last: ticks };
        known.last = ticks;
        seen.set(pid, known);
        if (target.memory === 'peak') memoryMb += kbField(`/proc/${pid}/status`, 'VmHWM') / 1024;
        else if (sharedMemory) memoryMb += kbField(`/proc/${pid}/smaps_rollup`, 'Pss') / 1024;
      }
      if (target.memory === 'peak' || sharedMemory) this.peakMb.set(target.name, Math.max(this.peakMb.get(target.name) ?? 0, memoryMb));
    }
    this.samples += 1;
  }
}

/** The pids of `parent`'s children (every thread's). */
export function childrenOf(parent: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${parent}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((task) => (readProc(`/proc/${parent}/task/${task}/children`) ?? '').split(' ').filter((child) => child !== '').map(Number));
}

/** A process's command line as `ps` shows it (PostgreSQL writes its backends' database there). */
export function commandOf(pid: number): string {
  return (readProc(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ').trim();
}

/** utime + stime; undefined once the process is gone. */
function cpuTicks(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Fields after the command (which may hold spaces): state is [0], utime [11], stime [12].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Every CPU's busy time: all but idle and iowait, from /proc/stat's first line. */
function machineBusyTicks(): number {
  const [, ...times] = (readProc('/proc/stat') ?? '').split('\n')[0]?.trim().split(/\s+/) ?? [];
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = times.map(Number);
  return user + nice + system + irq + softirq + steal;
}

function kbField(file: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readProc(file) ?? '')?.[1] ?? 0);
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
