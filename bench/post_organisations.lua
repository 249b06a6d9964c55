-- wrk script for the durable-write benchmark: every request is POST /api/v1/organisations with a
-- body no other request of the run sends (the thread's number, a run nonce and a counter), so
-- each answer is a fresh row committed to the disk, never a repeat the server could shortcut.
--
--   wrk -t2 -c32 -d10s --latency -s bench/post_organisations.lua URL -- TOKEN NONCE

local threads = 0

function setup(thread)
    thread:set("thread_number", threads)
    threads = threads + 1
end

function init(args)
    token = args[1]
    nonce = args[2] or tostring(os.time())
    counter = 0
    headers = {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
    }
end

function request()
    counter = counter + 1
    local body = string.format('{"kind":"trust","name":"Bench trust %s-%d-%d"}', nonce, thread_number, counter)
    return wrk.format("POST", "/api/v1/organisations", headers, body)
end
