import sys

if getattr(sys, "frozen", False):  # a frozen Windows build: a roll-up worker process starts here, not the app
    import multiprocessing

    multiprocessing.freeze_support()

from mpp_planner.cli import main  # noqa: E402

sys.exit(main())
