"""The `satgas` command loads its subcommands on demand: each one listed must load and explain itself."""
from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import LAZY_COMMANDS, satgas


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_every_command_loaded_on_demand_has_its_name_and_help(name):
    result = CliRunner().invoke(satgas, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert satgas.get_command(None, name).name == name
    assert f"Usage: satgas {name}" in result.output


def test_the_command_list_names_every_command_once():
    listed = satgas.list_commands(None)
    assert len(listed) == len(set(listed))
    assert {"worker", "up", "web", "sweep", "cases", "demo"} <= set(listed)


def test_the_sweep_starts_without_loading_the_web_stack_or_spreadsheets():
    code = "import sys, cli.main; cli.main.satgas.get_command(None, 'sweep'); print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'cli.sweep'" in loaded
    assert "'fastapi'" not in loaded and "'openpyxl'" not in loaded
