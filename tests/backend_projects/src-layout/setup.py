# A build backend must never run project code: this file proves it by failing loudly.
from pathlib import Path

Path(__file__).with_name("SETUP_PY_WAS_RUN").write_text("setup.py ran\n")
raise SystemExit("packkit must not run setup.py")
