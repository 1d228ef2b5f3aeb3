-- Replays prepared requests for wrk, one thread (-t1).
-- Usage: wrk -t1 -cN -dS -s replay.lua URL -- REQUESTS_FILE ACCEPT
-- REQUESTS_FILE holds one request a line, tab-separated:
--   method, path, cookie, csrf token, body, once ("1": send it once only)
-- Requests are taken in turn; a "once" request that comes round again (a submit whose
-- attempt is used up) is replaced by GET /attempts/0 (a 404, which wrk counts as an error),
-- and counted as "exhausted".
-- A POST body starting with "{" is sent as JSON, with {start} and {end} replaced by the
-- line's own report window: the n-th use of a line (from 0) reports [15n, 15n + 15], as a
-- video player reporting every 15 s would; other bodies are form-encoded, {seq} replaced.
-- (wrk builds one request before the run to check the script and never sends it: the first
-- line's first window goes there.)
-- ACCEPT says which answers count as success, e.g. "200" or "302:/review$|302:^/$";
-- any other answer is counted as "unexpected" (wrk counts non-2xx/3xx by itself).

local requests = {}
local used = {}
local uses = {}  -- how often each JSON line was sent: its next report window
local WINDOW = 15
local accept = {}
local next_index = 1
local counter = 0
local seq_base = nil
unexpected = 0
exhausted = 0

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      requests[#requests + 1] = split(line)
    end
  end
  for rule in (args[2] .. "|"):gmatch("([^|]*)|") do
    local status, pattern = rule:match("^(%d+):?(.*)$")
    accept[#accept + 1] = {tonumber(status), pattern}
  end
end

function request()
  local index = next_index
  next_index = next_index % #requests + 1
  local r = requests[index]
  if r[6] == "1" then
    if used[index] then
      exhausted = exhausted + 1
      return wrk.format("GET", "/attempts/0", {["User-Agent"] = "city-load", ["Cookie"] = r[3]})
    end
    used[index] = true
  end
  local headers = {["User-Agent"] = "city-load", ["Accept"] = "text/html,application/json"}
  if r[3] ~= "" then headers["Cookie"] = r[3] end
  if r[4] ~= "" then headers["X-CSRFToken"] = r[4] end
  local body = nil
  if r[1] == "POST" then
    -- autosave counters must grow, like the page's Date.now(): the round's start in
    -- milliseconds since the epoch, plus one a request
    seq_base = seq_base or os.time() * 1000
    counter = counter + 1
    body = r[5]:gsub("{seq}", string.format("%d", seq_base + counter))
    if body:sub(1, 1) == "{" then
      local n = uses[index] or 0
      uses[index] = n + 1
      body = body:gsub("{start}", string.format("%d", WINDOW * n))
                 :gsub("{end}", string.format("%d", WINDOW * (n + 1)))
      headers["Content-Type"] = "application/json"
    else
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
  end
  return wrk.format(r[1], r[2], headers, body)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  for _, rule in ipairs(accept) do
    if status == rule[1] and (rule[2] == "" or location:find(rule[2])) then
      return
    end
  end
  if status < 400 then  -- wrk already counts 4xx and 5xx
    unexpected = unexpected + 1
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests_)
  local unexpected_total, exhausted_total = 0, 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (thread:get("unexpected") or 0)
    exhausted_total = exhausted_total + (thread:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "CITYLOAD requests=%d duration_us=%d p50_us=%d p95_us=%d max_us=%d connect=%d read=%d "
    .. "write=%d status=%d timeout=%d unexpected=%d exhausted=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    unexpected_total, exhausted_total))
end
