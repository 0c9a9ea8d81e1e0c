"""The GitHub Actions workflows parse, have the shape GitHub expects, and publish the book correctly."""

from pathlib import Path

import pytest
import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parents[1] / ".github" / "workflows").glob("*.y*ml"))


def load(path: Path) -> dict:
    """A workflow as a dict. PyYAML reads the key ``on`` as True (YAML 1.1): it is put back as "on"."""
    workflow = yaml.safe_load(path.read_text())
    if not isinstance(workflow, dict):
        raise ValueError(f"{path}: a workflow must be a mapping, got {type(workflow).__name__}")
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps_using(job: dict, action: str) -> list[dict]:
    """The steps of ``job`` that use ``action`` (e.g. "actions/setup-python"), whatever its version."""
    return [step for step in job.get("steps", []) if step.get("uses", "").split("@")[0] == action]


def needs(job: dict) -> list[str]:
    """The jobs ``job`` waits for (``needs`` may be one name or a list)."""
    return [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", [])


def test_pages_workflow_exists() -> None:
    assert "pages.yml" in [path.name for path in WORKFLOWS]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_structure(path: Path) -> None:
    """Triggers, jobs with a runner, steps that each run a command or use a pinned action."""
    workflow = load(path)
    assert workflow.get("name"), f"{path.name}: no name"
    assert workflow.get("on"), f"{path.name}: no trigger (on:)"
    jobs = workflow.get("jobs")
    assert isinstance(jobs, dict) and jobs, f"{path.name}: no jobs"
    for name, job in jobs.items():
        assert "runs-on" in job, f"{path.name}: job {name} has no runs-on"
        assert job.get("steps"), f"{path.name}: job {name} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{path.name}: {name}: uses or run, not both: {step}"
            if "uses" in step:
                assert "@" in step["uses"], f"{path.name}: job {name}: {step['uses']} has no version"
        for needed in needs(job):
            assert needed in jobs, f"{path.name}: job {name} needs an unknown job {needed}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_pages_deployment_has_permissions(path: Path) -> None:
    """A job deploying to Pages may write pages and an id token, and follows the job that uploads the site."""
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        if not steps_using(job, "actions/deploy-pages"):
            continue
        permissions = {**workflow.get("permissions", {}), **job.get("permissions", {})}
        assert permissions.get("pages") == "write", f"{path.name}: job {name} needs permissions pages: write"
        assert permissions.get("id-token") == "write", f"{path.name}: job {name} needs id-token: write"
        assert job.get("environment", {}).get("name") == "github-pages"
        upload = "actions/upload-pages-artifact"
        uploads = [need for need in needs(job) if steps_using(workflow["jobs"][need], upload)]
        assert uploads, f"{path.name}: job {name} does not follow a job that uploads the site"


def test_pages_workflow_builds_the_book() -> None:
    """Python 3.11 and Node 20 are set up, `make book` runs and its output folder is what gets uploaded."""
    workflow = load(next(path for path in WORKFLOWS if path.name == "pages.yml"))
    assert "push" in workflow["on"]
    build = workflow["jobs"]["build"]
    (python,) = steps_using(build, "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"  # quoted in YAML: 3.10 would read as 3.1
    (node,) = steps_using(build, "actions/setup-node")
    assert str(node["with"]["node-version"]) == "20"
    assert any(step.get("run", "").strip() == "make book" for step in build["steps"])
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html"
    assert steps_using(workflow["jobs"]["deploy"], "actions/deploy-pages")
