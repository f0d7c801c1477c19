"""Measurements that need Django in-process, run by the benchmarks as a subprocess on a chosen database
(DATABASE_URL). Prints one JSON line.

    python -m bench.probe queries --path /org/employees/ --username hr
    python -m bench.probe time --path /org/employees/ --username hr --repeat 200 --warmup 10
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("mode", choices=["queries", "time"])
    parser.add_argument("--path", required=True)
    parser.add_argument("--username", default="hr")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.username))
    # The first request fills per-process caches (URL resolver, templates, translations, content types);
    # what is measured is a request as a warmed-up server sees it.
    for _ in range(max(1, args.warmup)):
        _check(client.get(args.path), args.path)
    result: dict[str, Any]
    if args.mode == "queries":
        with CaptureQueriesContext(connection) as captured:
            _check(client.get(args.path), args.path)
        queries = captured.captured_queries
        result = {"queries": len(queries), "sql": [q["sql"][:300] for q in queries]}
    else:
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            _check(client.get(args.path), args.path)
            samples.append(time.perf_counter() - started)
        result = {"samples": samples}
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _check(response: Any, path: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")


if __name__ == "__main__":
    raise SystemExit(main())
