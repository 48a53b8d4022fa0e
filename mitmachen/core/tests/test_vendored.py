"""The vendored front-end files are exactly the pinned packages (checked offline)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_vendored_files_match_their_recorded_hashes():
    result = subprocess.run(
        [sys.executable, "scripts/vendor.py", "--check", "--offline"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
