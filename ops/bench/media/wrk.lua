-- wrk script for the media benchmark. Arguments after `--`:
--   range <path> <file size> <range bytes>   random byte ranges of one file
--   paths <base> <count>                     whole files <base>seg-00000.ts .. in turn
-- Prints one JSON line with requests, bytes, seconds, p99 latency (ms) and non-2xx answers.
local mode, target, a, b
local counter = 0

function init(args)
  mode, target, a, b = args[1], args[2], tonumber(args[3]), tonumber(args[4])
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  if mode == "range" then
    local start = math.random(0, a - b)
    return wrk.format("GET", target, { ["Range"] = "bytes=" .. start .. "-" .. (start + b - 1) })
  end
  local path = target .. string.format("seg-%05d.ts", counter % a)
  counter = counter + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"bytes":%d,"seconds":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, summary.bytes, summary.duration / 1e6, latency:percentile(99) / 1e3, errors))
end
