-- wrk: each request logs in the next member of $LOGINS (login ID <TAB> URL-encoded password,
-- one a line), as a browser's form would from $ORIGIN (the portal's PUBLIC_URL). Used by
-- scripts/bench.sh and bench/topology.bench.ts.
local members, n = {}, 0
for line in io.lines(os.getenv("LOGINS")) do
  local id, pw = line:match("([^\t]+)\t(.+)")
  n = n + 1; members[n] = { id, pw }
end
local i = math.random(n)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = os.getenv("ORIGIN")
request = function()
  i = i % n + 1
  return wrk.format(nil, nil, nil, "login_id=" .. members[i][1] .. "&password=" .. members[i][2] .. "&next=%2Fhome")
end
