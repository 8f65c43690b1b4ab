import sys

from mpp_planner.cli import main

sys.exit(main())
