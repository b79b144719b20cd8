"""`python -m peak_trade`: the same as the `peak-trade` command."""

from peak_trade.cli import console_main

if __name__ == "__main__":
    console_main()
