"""`python -m peak_trade.cli`: the same as the `peak-trade` command."""

from peak_trade.cli.entry import console_main

if __name__ == "__main__":
    console_main()
