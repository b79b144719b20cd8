"""Wall time and peak RSS of `peak-trade audit export --stdout` against `python -c pass`.

Both run interleaved (machine noise hits both alike); prints medians and the ratio.
    python benchmarks/export_startup.py [--runs N] [--config PATH]
The full set of figures is `python benchmarks/run.py`. Not part of the test suite.
"""

from __future__ import annotations

import argparse

from run import CONFIG, hot_commands, processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--config", default=str(CONFIG))
    args = parser.parse_args()
    commands = hot_commands(args.config)
    wanted = {name: commands[name] for name in ("python -c pass", "audit export --stdout")}
    for name, figures in processes(args.runs, wanted).items():
        print(
            f"{name:24} {figures['wall_ms']:7.1f} ms  {figures['ratio']:5.2f}x"
            f"  peak RSS {figures['peak_rss_mib']:5.1f} MiB"
        )


if __name__ == "__main__":
    main()
