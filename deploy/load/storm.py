#!/usr/bin/env python3
"""A classroom signs in at once: LEARNERS accounts are made first (not timed), then every learner,
each on a new connection with no cookies, opens the sign-in page, signs in and opens the first
lesson of a course, the starts spread evenly over WINDOW seconds. Prints the latency of each step
(p50, p90, p99, max) and the errors; exits 1 if a request failed or the sign-in p99 missed GOAL.

    storm.py BASE_URL [--learners 200] [--window 10] [--goal 2.0] [--lesson PATH]

Standard library only: one thread per learner, like 200 phones."""
import argparse
import http.client
import re
import sys
import threading
import time

from phone import Phone

PASSWORD = "classroom storm passphrase"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--goal", type=float, default=2.0, help="sign-in p99 goal in seconds")
    parser.add_argument("--lesson", default="/courses/hand-hygiene/lessons/why-hands-matter")
    parser.add_argument("--prefix", default="storm", help="email prefix (a new one per run)")
    args = parser.parse_args()

    emails = [f"{args.prefix}-{i}@classroom.example.org" for i in range(args.learners)]
    print(f"making {args.learners} accounts (not timed) ...", flush=True)
    setup_errors = []

    def make(chunk):
        for email in chunk:
            phone = Phone(args.base, agent="storm.py")
            phone.request("GET", "/sign-up")
            status = phone.request("POST", "/sign-up", {"name": "Storm Learner", "email": email, "password": PASSWORD}).status
            if status != 303:
                setup_errors.append((email, status))

    makers = [threading.Thread(target=make, args=(emails[i::4],)) for i in range(4)]
    for t in makers:
        t.start()
    for t in makers:
        t.join()
    if setup_errors:
        print(f"sign-up failed: {setup_errors[:5]}", file=sys.stderr)
        return 1

    sign_in, to_lesson, errors = [], [], []
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def learner(i, email):
        time.sleep(max(0.0, start + i * args.window / args.learners - time.monotonic()))
        phone = Phone(args.base, agent="storm.py")
        began = time.monotonic()
        try:
            form = phone.request("GET", "/sign-in").status
            signed = phone.request("POST", "/sign-in", {"email": email, "password": PASSWORD}).status
            signed_at = time.monotonic()
            lesson = phone.request("GET", args.lesson).status
            done = time.monotonic()
        except (OSError, http.client.HTTPException) as error:
            with lock:
                errors.append(f"{email}: {error}")
            return
        with lock:
            if (form, signed, lesson) != (200, 303, 200):
                errors.append(f"{email}: sign-in page {form}, sign-in {signed}, lesson {lesson}")
            sign_in.append(signed_at - began)
            to_lesson.append(done - began)

    threads = [threading.Thread(target=learner, args=(i, e)) for i, e in enumerate(emails)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start

    print(f"{len(sign_in)} learners signed in over {elapsed:.1f} s, {len(errors)} errors")
    for name, values in (("sign-in (page + POST)", sign_in), ("sign-in + first lesson", to_lesson)):
        print(
            f"  {name:24} p50 {percentile(values, 50) * 1000:7.0f} ms  p90 {percentile(values, 90) * 1000:7.0f} ms"
            f"  p99 {percentile(values, 99) * 1000:7.0f} ms  max {max(values, default=0) * 1000:7.0f} ms"
        )
    for error in errors[:10]:
        print("  error:", error)
    p99 = percentile(sign_in, 99)
    ok = not errors and len(sign_in) == args.learners and p99 < args.goal
    print(f"goal: sign-in p99 < {args.goal:.1f} s and no errors: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
