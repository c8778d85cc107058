-- wrk script for the page benchmarks: method, body and headers come from the environment
-- (BENCH_METHOD, BENCH_BODY, BENCH_COOKIE, BENCH_CSRF, BENCH_CONTENT_TYPE); done() prints one
-- JSON line that bench/pages.py reads.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then wrk.body = body end
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local csrf = os.getenv("BENCH_CSRF") or ""
if csrf ~= "" then wrk.headers["X-CSRFToken"] = csrf end
local content_type = os.getenv("BENCH_CONTENT_TYPE") or ""
if content_type ~= "" then wrk.headers["Content-Type"] = content_type end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCHJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
