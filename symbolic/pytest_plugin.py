"""pytest plugin for stepcheck (registered through the ``pytest11`` entry point)."""


def pytest_addoption(parser):
    group = parser.getgroup("stepcheck")
    group.addoption("--stepcheck", action="append", default=[], metavar="PATH",
                    help="collect every derivation found in PATH as a test item")
