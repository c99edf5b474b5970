-- wrk script of the ingest benchmark (load.ts runs it): POST /v1/events with batches of
-- heartbeats, every event unique, with the fields the Deno clients sent
-- (adapters/testing/ingest-load.ts).
-- The body is built once as constant pieces; a request only fills in its token (10 hex digits of a
-- counter) where the ids go: event id = <run prefix><token><seq, 2 hex digits> (a UUID), session
-- id = s-<run prefix><token>. Arguments after `--`:
--   <requests> <batch size (1-256)> <posts/s: 0 = as fast as the connections go>
-- Once <requests> answers are in, prints "stopped" (load.ts then ends wrk with SIGINT) and later
-- one JSON line: answers, accepted events, seconds (first request to last answer), p50 and p99
-- latency (ms), answers that were not 202, and wrk's own CPU seconds over the run.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long sec; long nsec; } bench_timespec;
  typedef struct { long sec; long usec; } bench_timeval;
  typedef struct { bench_timeval user; bench_timeval system; long rest[14]; } bench_rusage;
  int clock_gettime(int clock, bench_timespec *now);
  int getrusage(int who, bench_rusage *usage);
]]
local timespec, rusage = ffi.new("bench_timespec"), ffi.new("bench_rusage")

local function seconds()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.sec) + tonumber(timespec.nsec) / 1e9
end

local function cpuSeconds()
  ffi.C.getrusage(0, rusage) -- RUSAGE_SELF: the whole wrk process
  return tonumber(rusage.user.sec + rusage.system.sec)
    + tonumber(rusage.user.usec + rusage.system.usec) / 1e6
end

-- Globals, so that done() can read them from each thread (thread:get).
requests, interval, sent, answered, accepted, failed = 0, 0, 0, 0, 0, 0
started, finished, cpuAtStart, cpu = 0, 0, 0, 0
local parts, slots, prefix = {}, {}, ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = tonumber(args[1])
  local size, rate = tonumber(args[2]), tonumber(args[3])
  assert(size >= 1 and size <= 256, "batch size must be 1-256")
  interval = rate > 0 and 1 / rate or 0
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  prefix = string.format("%08x-%04x-4%03x-8%03x-", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff))
  local time = os.date("!%Y-%m-%dT%H:%M:%S.000Z")
  -- parts: constant pieces, with the token's places (listed in slots) between them.
  local function add(piece)
    parts[#parts + 1] = piece
  end
  local function addToken()
    add("")
    slots[#slots + 1] = #parts
  end
  add('{"sent_at":"' .. time .. '","events":[')
  for seq = 0, size - 1 do
    add((seq == 0 and "" or ",") .. '{"event_id":"' .. prefix)
    addToken()
    add(string.format('%02x","type":"heartbeat","session_id":"s-%s', seq, prefix))
    addToken()
    add(string.format(
      '","seq":%d,"content_id":"movie-1","timestamp":"%s","position_sec":%d}', seq, time, seq * 10))
  end
  add("]}")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  if sent == 0 then
    started, cpuAtStart = seconds(), cpuSeconds()
  end
  sent = sent + 1
  local token = string.format("%010x", sent)
  for i = 1, #slots do parts[slots[i]] = token end
  return wrk.format(nil, nil, nil, table.concat(parts))
end

function response(status, headers, body)
  -- Answers that land after the stop (in the same turn of wrk's loop) are not counted.
  if answered == requests then return end
  answered = answered + 1
  if status == 202 then
    accepted = accepted + tonumber(string.match(body, '"accepted":(%d+)'))
  else
    failed = failed + 1
  end
  if answered == requests then
    finished, cpu = seconds(), cpuSeconds() - cpuAtStart
    io.write("stopped\n")
    io.flush()
    wrk.thread:stop()
  end
end

-- Pacing: each request takes the next free slot of a schedule `interval` apart, on whichever
-- connection is free (open loop while fewer requests than connections are answered late).
local nextAt = 0
function delay()
  if interval == 0 then return 0 end
  local now = seconds()
  nextAt = math.max(nextAt + interval, now)
  return (nextAt - now) * 1000
end

function done(summary, latency)
  local t = threads[1]
  io.write(string.format(
    '{"answers":%d,"accepted":%d,"seconds":%.4f,"p50_ms":%.3f,"p99_ms":%.3f,"failed":%d,' ..
      '"cpu_seconds":%.3f}\n',
    t:get("answered"), t:get("accepted"), t:get("finished") - t:get("started"),
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    t:get("failed") + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    t:get("cpu")))
end
