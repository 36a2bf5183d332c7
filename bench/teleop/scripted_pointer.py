#!/usr/bin/env python3
"""Scripted pointer for `./wam4j teleop`: drives sessions over the page's HTTP API.

Not a person: a fixed rule moves the pointer. Per poll (every ~50 ms) it reads the state and
posts a target: first a point behind the block (on the side away from the goal), then, once the
agent is there, a point through the block towards the goal. The server steps at 10 Hz towards
the latest target; the episode is saved after MAX_STEPS steps or when it ends (success or the
scene's 300-step limit). Usage: scripted_pointer.py PORT SEED [SEED ...]
"""
import json
import math
import sys
import threading
import time
import urllib.request

PORT = int(sys.argv[1])
SEEDS = [int(s) for s in sys.argv[2:]]
BASE = f"http://127.0.0.1:{PORT}/api/v1/teleop/sessions"
MAX_STEPS = 160
GOAL = (256.0, 256.0)


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return r.status, (json.loads(raw) if raw else None)


def episode(seed, out):
    status, s = call("POST", BASE, {"seed": seed, "embodiment": "robot"})
    assert status == 201, (status, s)
    sid = s["session_id"]
    phase = "approach"
    st = s["state"]
    while True:
        bx, by = st["block_x"], st["block_y"]
        ax, ay = st["agent_x"], st["agent_y"]
        dx, dy = GOAL[0] - bx, GOAL[1] - by
        n = math.hypot(dx, dy) or 1.0
        ux, uy = dx / n, dy / n
        behind = (bx - 70 * ux, by - 70 * uy)
        if phase == "approach" and math.hypot(ax - behind[0], ay - behind[1]) < 15:
            phase = "push"
        if phase == "push" and math.hypot(ax - behind[0], ay - behind[1]) > 120:
            phase = "approach"  # the block got away: go behind it again
        if phase == "approach":
            # go around the block: aim at the approach point, nudged sideways when the straight
            # line would cross the block
            tx, ty = behind
            if math.hypot(ax - bx, ay - by) < 80 and (ax - bx) * ux + (ay - by) * uy > -20:
                side = 1 if (ax - bx) * -uy + (ay - by) * ux >= 0 else -1
                tx, ty = bx + side * 110 * -uy, by + side * 110 * ux
        else:
            tx, ty = bx + 40 * ux, by + 40 * uy
        status, _ = call("POST", f"{BASE}/{sid}/target", {"x": tx, "y": ty})
        assert status == 204
        time.sleep(0.05)
        _, st = call("GET", f"{BASE}/{sid}")
        if st["done"] or st["step"] >= MAX_STEPS:
            break
    status, saved = call("POST", f"{BASE}/{sid}/save")
    assert status == 201, (status, saved)
    out[seed] = (saved["episode"], st["coverage"])


results = {}
# one session at a time: each save appends to the same dataset folder
for seed in SEEDS:
    episode(seed, results)
    ep, cov = results[seed]
    print(f"seed {seed}: episode {ep['episode_index']} frames {ep['frames']} "
          f"success {ep['success']} final coverage {cov:.3f} operator {ep['operator']}",
          flush=True)
