"""The wheel of dist/ as a user gets it: a manylinux tag it can honestly claim, a cqld that
needs only the C runtime, and a fresh virtualenv in which a new project's five steps work."""

from __future__ import annotations

import platform
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection
from fresh_project import Project, add_the_app_and_models, five_steps
from fresh_virtualenv import Virtualenv

ROOT = Path(__file__).resolve().parents[2]
SERIALIZE = """
from catalog.models import ExampleModel
from django_cassandra_engine.rest.serializers import DjangoCassandraModelSerializer


class ExampleSerializer(DjangoCassandraModelSerializer):
    class Meta:
        model = ExampleModel
        fields = ["example_type", "description"]


row = ExampleModel.objects.create(example_type=7, description="drf")
print("serialized", dict(ExampleSerializer(row).data))
"""
# What every Linux with glibc has: the C runtime (glibc's libraries and loader) and GCC's C++
# runtime. The wheel's cqld may need these and the libraries inside the wheel, nothing else.
C_RUNTIME = re.compile(
    r"^(linux-vdso\.so\.1|linux-gate\.so\.1|ld-linux[-\w.]*\.so\.\d|"
    r"lib(c|m|dl|pthread|rt)\.so\.\d|libgcc_s\.so\.1|libstdc\+\+\.so\.6)$"
)


def version_needs(binary: Path) -> dict[str, set[str]]:
    """The symbol versions `binary` needs, by library: {"libc.so.6": {"GLIBC_2.34", ...}}."""
    needs: dict[str, set[str]] = {}
    with binary.open("rb") as file:
        for section in ELFFile(file).iter_sections():
            if isinstance(section, GNUVerNeedSection):
                for library, versions in section.iter_versions():
                    needs.setdefault(library.name, set()).update(v.name for v in versions)
    return needs


def glibc_version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.removeprefix("GLIBC_").split("."))


def installed_cqld(virtualenv: Virtualenv) -> Path:
    return Path(
        virtualenv.run_python(
            "import django_cassandra_engine, pathlib; "
            "print(pathlib.Path(django_cassandra_engine.__file__).parent / 'bin' / 'cqld')"
        )
    )


def test_auditwheel_reports_the_manylinux_tag_of_the_newest_glibc_cqld_needs(
    wheel: Path, wheel_cqld: Path
):
    shown = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "auditwheel"), "show", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = " ".join(shown.split())
    match = re.search(
        r'consistent with the following platform tag: "(manylinux_(\d+)_(\d+)_\w+)"', text
    )
    assert match, shown
    tag, major, minor = match.group(1), int(match.group(2)), int(match.group(3))
    assert tag.endswith(platform.machine()), shown
    assert f"-py3-none-{tag}" in wheel.name or f".{tag}" in wheel.name, (wheel.name, tag)
    # Honest: the tag names exactly the newest glibc symbol version cqld uses, so the wheel
    # claims no older glibc than it runs on, and no newer one than it needs.
    needs = version_needs(wheel_cqld)
    glibc = {v for versions in needs.values() for v in versions if v.startswith("GLIBC_2")}
    assert max(glibc_version(v) for v in glibc) == (major, minor), (tag, sorted(glibc))
    # libstdc++ is linked in, so no GLIBCXX/CXXABI version of the build machine's compiler
    # narrows the tag; libgcc_s's GCC_* versions are old ones that every manylinux has.
    libstdcxx = {v for vs in needs.values() for v in vs if v.startswith(("GLIBCXX_", "CXXABI_"))}
    assert not libstdcxx, sorted(libstdcxx)
    assert all(C_RUNTIME.match(library) for library in needs), needs


def test_wheel_cqld_is_a_stripped_program(wheel_cqld: Path):
    with wheel_cqld.open("rb") as file:
        elf = ELFFile(file)
        assert elf.header.e_type in ("ET_EXEC", "ET_DYN")
        assert elf.get_section_by_name(".symtab") is None
        assert elf.get_section_by_name(".debug_info") is None
        dynamic = next(s for s in elf.iter_sections() if isinstance(s, DynamicSection))
        needed = {tag.needed for tag in dynamic.iter_tags() if tag.entry.d_tag == "DT_NEEDED"}
    assert needed and all(C_RUNTIME.match(name) for name in needed), needed
    assert wheel_cqld.stat().st_mode & 0o111, "cqld is not executable in the wheel"


def test_ldd_of_the_installed_cqld_lists_only_the_c_runtime_and_the_wheels_libraries(
    virtualenv: Virtualenv,
):
    cqld = installed_cqld(virtualenv)
    output = subprocess.run(["ldd", str(cqld)], check=True, capture_output=True, text=True).stdout
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    assert lines and "not found" not in output, output
    site_packages = cqld.parents[2]
    for line in lines:
        name, _, target = line.partition(" => ")
        path = target.split(" (")[0] if target else ""
        inside_wheel = path.startswith(str(site_packages))
        assert C_RUNTIME.match(Path(name.split(" (")[0]).name) or inside_wheel, line


def test_the_wheel_declares_django_and_the_driver_and_extras_for_cqlsh_and_drf(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(metadata_name).decode()
    requires = sorted(
        line.split(":", 1)[1].strip().replace(" ", "")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    )
    assert requires == [
        "Django>=4.2",
        "cassandra-driver>=3.29",
        'cqlsh;extra=="shell"',
        'djangorestframework>=3.15;extra=="rest"',
    ]


def test_the_backend_finds_the_wheels_cqld_first(virtualenv: Virtualenv):
    found = virtualenv.run_python(
        "from django_cassandra_engine.embedded import find_binary; print(find_binary())"
    )
    assert Path(found) == installed_cqld(virtualenv)
    assert Path(found).is_relative_to(virtualenv.directory)
    assert not Path(found).is_relative_to(ROOT)


def test_the_wheel_installs_a_nodetool_command_that_runs_cqlds(virtualenv: Virtualenv):
    import socket
    import subprocess

    nodetool = Path(virtualenv.python).parent / "nodetool"
    assert nodetool.is_file()
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run([str(nodetool), "-p", str(port), "status"], capture_output=True, text=True,
                          env=virtualenv.env, timeout=60)
    assert done.returncode == 1
    assert done.stdout == f"nodetool: Failed to connect to '127.0.0.1:{port}' - ConnectException: 'Connection refused'.\n"


def test_five_steps_in_a_fresh_virtualenv_holding_only_the_wheel(
    virtualenv: Virtualenv, cql_target: str, request: pytest.FixtureRequest, tmp_path: Path
):
    if cql_target == "cassandra":
        request.getfixturevalue("cassandra_node")
    path = virtualenv.env["PATH"].split(":")
    assert not any(Path(entry).is_relative_to(ROOT) for entry in path), path
    project = Project(tmp_path / "mysite", virtualenv.python, virtualenv.env, cql_target)
    project.start()
    try:
        # Step 1 is the install: the package and the driver come from the virtualenv.
        where = project.run(
            virtualenv.python,
            "-c",
            "import cassandra, django_cassandra_engine as d; print(d.__file__)",
        )
        assert Path(where.strip()).is_relative_to(virtualenv.directory), where
        five_steps(project)
    finally:
        project.clean_up()


def test_extras_add_cqlsh_for_dbshell_and_drf_for_the_serializers(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
):
    virtualenv = Virtualenv.create(tmp_path_factory.mktemp("venv-extras"))
    virtualenv.pip_install(f"django-cassandra-engine[shell,rest] @ {wheel.as_uri()}")
    project = Project(
        tmp_path_factory.mktemp("extras") / "mysite", virtualenv.python, virtualenv.env, "cqld"
    )
    project.start()
    try:
        add_the_app_and_models(project)
        project.manage("sync_cassandra")
        # dbshell runs the cqlsh the [shell] extra installed, on the embedded server.
        output = project.manage("dbshell", "--", "-e", "DESCRIBE TABLES")
        assert "example_model" in output, output
        # The [rest] extra brings DRF for the package's serializer.
        output = project.manage("shell", "-c", SERIALIZE)
        assert "serialized {'example_type': 7, 'description': 'drf'}" in output, output
    finally:
        project.clean_up()
