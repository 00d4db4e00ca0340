"""Sums the request rates of wrk outputs run at the same time and prints "RATE P50 P99": the summed
rate and the slowest run's percentiles. Usage: wrk_summary.py WRK_OUTPUT..."""
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * UNITS[unit]


def main():
    rate, p50, p99 = 0.0, 0.0, 0.0
    for path in sys.argv[1:]:
        for line in open(path):
            fields = line.split()
            if line.startswith("Requests/sec:"):
                rate += float(fields[1])
            elif fields[:1] == ["50%"]:
                p50 = max(p50, milliseconds(fields[1]))
            elif fields[:1] == ["99%"]:
                p99 = max(p99, milliseconds(fields[1]))
    print(f"{rate:,.0f} {p50:.2f}ms {p99:.2f}ms")


if __name__ == "__main__":
    main()
