import multiprocessing
import sys

multiprocessing.freeze_support()  # a frozen Windows build: a roll-up worker process starts here, not the app

from mpp_planner.cli import main  # noqa: E402

sys.exit(main())
