"""check_report -- placeholder: runs the program and parses its output."""
import json
import subprocess
import sys

json.loads(subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout)
