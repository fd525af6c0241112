"""Background jobs: a list of one's own, a page per job whose progress updates by itself."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from townhall.core.http import SignedInRequest
from townhall.core.paging import Paginator
from townhall.jobs import runner
from townhall.jobs.models import Job


class JobListPage(View):
    def get(self, request: SignedInRequest) -> HttpResponse:
        page = Paginator(Job.objects.restrict(request.user), 25).get_page(request.GET.get("page"))
        waiting = any(not job.finished for job in page.object_list)
        no_worker = waiting and not runner.worker_running()
        return render(request, "jobs/list.html", {"page": page, "no_worker": no_worker})


class JobPage(View):
    def get(self, request: SignedInRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(Job.objects.restrict(request.user), pk=pk)
        template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
        no_worker = not job.finished and not runner.worker_running()
        return render(request, template, {"job": job, "no_worker": no_worker})


@method_decorator(never_cache, name="dispatch")
class JobDownload(View):
    """The job's file, for the person who asked only; never kept in a browser's cache."""

    def get(self, request: SignedInRequest, pk: int) -> FileResponse:
        job = get_object_or_404(Job.objects.restrict(request.user), pk=pk)
        if not job.result_file:
            raise Http404("This job has no file.")
        name = job.result_file.name.rsplit("/", 1)[-1]
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)
