"""The Tcl OData suite (``Tests/tcl/odata.test``: what ODataTclOO's ``odata::Service`` sends, with tcllib and
tdom) against the OData test server of each backend, as a fresh user. Runs in ``.build/odata-venv`` with the
other OData suites; needs ``tclsh`` with tcllib and tdom (Debian: ``apt-get install tcllib tdom``, which
scripts/test-suites does on CI). A failing or skipped Tcl test fails this test, with tcltest's output."""

import os
import re
import shutil
import subprocess

import pytest

from conftest import REPO_ROOT

# The shared server fixture (`odata`) and the `user` fixture.
pytest_plugins = ['odatahelpers']

SUITE = REPO_ROOT / 'Tests' / 'tcl' / 'odata.test'
TCL_TESTS = 24
SUMMARY = re.compile(r'Total\s+(\d+)\s+Passed\s+(\d+)\s+Skipped\s+(\d+)\s+Failed\s+(\d+)')


def test_tcl_client(user):
    tclsh = shutil.which('tclsh')
    if tclsh is None:
        pytest.fail('tclsh is missing: apt-get install tcl tcllib tdom', pytrace=False)
    environment = {**os.environ, 'ODATA_ROOT': user.server.root, 'ODATA_AUTHORIZATION': user.authorization}
    result = subprocess.run([tclsh, str(SUITE)], env=environment, capture_output=True, text=True, timeout=300,
                            cwd=REPO_ROOT)
    output = f'{result.stdout}\n{result.stderr}'
    assert result.returncode == 0, output
    summary = SUMMARY.search(output)
    assert summary, output
    total, passed, skipped, failed = (int(value) for value in summary.groups())
    assert (total, passed, skipped, failed) == (TCL_TESTS, TCL_TESTS, 0, 0), output
