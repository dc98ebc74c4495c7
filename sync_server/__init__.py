"""WellPulse Field sync server (Starlette over Postgres)."""

import os

# One BLAS thread, set before anything imports numpy: the analytics fits (statsmodels' L-BFGS-B)
# make thousands of tiny BLAS calls, and OpenBLAS's thread pool turns each into a hand-off that
# is 3-50x slower when the cores are busy (docs/forecast.md, "Performance"). A value the user
# set wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
