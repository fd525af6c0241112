"""Large imports run here, on the one job runner (townhall/jobs/runner.py), in
`townhall worker` (or at once when jobs run in-process).

An import is checked or committed in one transaction, all or nothing, so running it again
after its worker stopped is safe."""

from townhall.imports import services
from townhall.jobs import runner

runner.job(services.IMPORT_JOB, on_failed=services.job_failed)(services.run_job)
