"""Generate a realistic history store for the history benchmarks.

    python benchmarks/make_history_store.py --rows 1000000 --out /tmp/history.sqlite

The invoices are inserted at schema version 1 (no history indexes yet) in big executemany
transactions, then the real migrations build the sort indexes and the FTS5 trigram index in bulk,
which is much faster than maintaining them row by row. Prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from invoicedesk.store import schema
from invoicedesk.store.db import Store

CITIES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "苏州",
    "成都",
    "重庆",
    "武汉",
    "西安",
    "天津",
    "长沙",
    "郑州",
    "青岛",
    "厦门",
    "宁波",
    "合肥",
    "昆明",
    "沈阳",
]
BRANDS = [
    "华信",
    "鼎盛",
    "恒通",
    "瑞丰",
    "金泰",
    "宏达",
    "新元",
    "博远",
    "天合",
    "永和",
    "盛世",
    "中联",
    "远航",
    "汇丰",
    "德润",
    "嘉禾",
    "万象",
    "锦程",
    "正泰",
    "安和",
    "星辰",
    "云帆",
    "海纳",
    "东方",
    "明珠",
    "长青",
    "兴业",
    "卓越",
    "富源",
    "百川",
]
TRADES = [
    "科技",
    "贸易",
    "信息技术",
    "商贸",
    "建筑工程",
    "餐饮管理",
    "物流",
    "文化传媒",
    "电子",
    "机械设备",
    "医药",
    "食品",
    "服装",
    "广告",
    "咨询",
    "软件",
    "新能源",
    "环保",
    "教育科技",
    "供应链管理",
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "分公司"]
PROFILES = [("sandbox-baiwang", "baiwang"), ("main-nuonuo", "nuonuo"), ("shop-faw", "faw")]
TYPES = ["82", "82", "82", "81"]  # 普票 mostly
RATES = [Decimal("0.13"), Decimal("0.06"), Decimal("0.03"), Decimal("0.01")]
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CENT = Decimal("0.01")


def buyer_pool(rng: random.Random, n: int) -> list[tuple[str, str]]:
    pool = []
    for _ in range(n):
        name = rng.choice(CITIES) + rng.choice(BRANDS) + rng.choice(TRADES) + rng.choice(SUFFIXES)
        tax_id = "91" + "".join(rng.choice(CODE_CHARS) for _ in range(16))
        pool.append((name, tax_id))
    return pool


def rows(rng: random.Random, count: int, start: dt.datetime) -> list[tuple[object, ...]]:
    buyers = buyer_pool(rng, max(50, min(20000, count // 20)))
    span = 5 * 365 * 86400
    out: list[tuple[object, ...]] = []
    blue_numbers: list[str] = []
    now = start.isoformat(timespec="seconds")
    for seq in range(count):
        profile, vendor = PROFILES[seq % 7 % 3]
        name, tax_id = rng.choice(buyers)
        issued = start - dt.timedelta(seconds=rng.randrange(span))
        number = f"{issued.year % 100:02d}{seq:018d}"
        amount = int(rng.lognormvariate(9.5, 1.4)) + 1  # cents, median about 130 yuan
        rate = rng.choice(RATES)
        tax = int((Decimal(amount) * rate).quantize(Decimal(1), ROUND_HALF_UP))
        red = bool(blue_numbers) and rng.random() < 0.04
        if red:
            amount, tax = -amount, -tax
            blue_number, status, red_status = rng.choice(blue_numbers), "正常", "已确认"
        else:
            blue_number = ""
            status = "已红冲" if rng.random() < 0.03 else "正常"
            red_status = ""
            if len(blue_numbers) < 10000:
                blue_numbers.append(number)
        out.append(
            (profile, vendor, number, f"S{seq:015d}", issued.isoformat(timespec="seconds"),
             "red" if red else "blue", blue_number, rng.choice(TYPES), name, tax_id,
             amount, tax, amount + tax, status, red_status,
             "synced" if seq % 5 else "issued", now, now)
        )  # fmt: skip
    return out


INSERT = (
    "INSERT INTO invoices (profile, vendor, number, serial, issued_at, color, blue_number, "
    "invoice_type, buyer_name, buyer_tax_id, amount_cents, tax_cents, total_cents, status, "
    "red_status, source, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; remove it first", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()

    conn = sqlite3.connect(args.out, isolation_level=None)
    # bulk load only: no durability needed while the file is being made
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    schema.migrate(conn, target=1)
    for p, v in PROFILES:
        now = "2025-01-01T00:00:00"
        conn.execute(
            "INSERT INTO profiles (name, vendor, base_url, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (p, v, f"http://127.0.0.1/{v}", now, now),
        )
    start = dt.datetime(2025, 6, 30, 18, 0, 0)
    batch = 200_000
    t_gen = t_ins = 0.0
    for first in range(0, args.rows, batch):
        a = time.perf_counter()
        chunk = rows(rng, min(batch, args.rows - first), start)
        # make numbers/serials unique across chunks
        chunk = [
            (r[0], r[1], f"{r[2][:2]}{first + i:018d}", f"S{first + i:015d}", *r[4:])  # type: ignore[index]
            for i, r in enumerate(chunk)
        ]
        b = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(INSERT, chunk)
        conn.execute("COMMIT")
        t_gen += b - a
        t_ins += time.perf_counter() - b
    a = time.perf_counter()
    schema.migrate(conn)  # builds the history indexes and the trigram index over all rows
    conn.execute("ANALYZE")
    t_idx = time.perf_counter() - a
    conn.close()
    Store.open(args.out).close()  # switches to WAL and checks the file opens at current version
    total = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "rows": args.rows,
                "seconds": round(total, 1),
                "generate_s": round(t_gen, 1),
                "insert_s": round(t_ins, 1),
                "index_s": round(t_idx, 1),
                "bytes": args.out.stat().st_size,
                "schema_version": schema.CURRENT_VERSION,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
