"""A department's questions about the technology it bought outside IT: for each technology
merchant the department paid, what it spent and when last, and its answer — what the
service is for and whether it holds residents' data. Liaisons answer for their own
department; IT staff and administrators choose a department and may answer for it; viewers
and board members read. Answers are kept by `services.answer`, whose write path refuses a
liaison answering for another department whatever the door (this page or the API).

The merchant's page lists each department's answer and its security review
(`merchant_answers`), with IT staff's "Record a security review today".
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core import permissions, services
from townhall.core.http import SignedInRequest, whole_number
from townhall.core.plugins import HomeNotice
from townhall.org.forms import DepartmentChoice
from townhall.org.models import Department
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import Merchant, MerchantAnswer, Purchase

# Merchants a department is asked about: technology, and not dismissed by IT.
TECHNOLOGY = ("software", "hardware", "telecom")
PER_PAGE = 40


def asked_of(department_id: int) -> "QuerySet[Merchant]":
    """The merchants the department is asked about: the technology it bought from (the
    merchant job keeps who bought from whom), less those IT dismissed."""
    return (
        Merchant.objects.filter(departments=department_id, category__in=TECHNOLOGY)
        .exclude(status=Merchant.Status.DISMISSED)
        .order_by()
    )


def unanswered_count(user: Any) -> int | None:
    """How many of a liaison's department's questions have no answer yet (None for anyone
    else, without a query): shown on the liaison's home page."""
    if not permissions.is_liaison(user) or not getattr(user, "department_id", None):
        return None
    asked = asked_of(user.department_id)
    return asked.exclude(answers__owner_department=user.department_id).count()


def home_notice(user: Any) -> HomeNotice | None:
    """The home page's notice to a liaison with questions left to answer."""
    count = unanswered_count(user)
    if not count:
        return None
    noun = "question" if count == 1 else "questions"
    return HomeNotice(
        f"Your department has {count} {noun} to answer about technology it bought.",
        reverse("shadowit:department_questions"),
        "Answer them",
    )


@dataclass
class Question:
    """One merchant the department is asked about, with its figures and answer; `purpose`,
    `resident_data` and `version` are what the form shows (the person's own text again
    after a refusal)."""

    merchant: Merchant
    spend: Decimal
    purchases: int
    last: Any
    answer: MerchantAnswer | None
    purpose: str = ""
    resident_data: str = ""
    version: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflict: str = ""

    @property
    def other_errors(self) -> list[str]:
        """Refusals not about the two fields the form shows (the merchant, the department)."""
        shown = ("purpose", "resident_data")
        return [m for name, ms in self.errors.items() if name not in shown for m in ms]


def _questions(user: Any, department: Department) -> list[Question]:
    """Every question of the department, unanswered first, then by what it spent: three
    queries whatever the number of merchants."""
    visible = permissions.restrict(asked_of(department.pk), user, "view")
    asked = list(visible.only("pk", "key", "name", "version"))
    keys = [m.key for m in asked]
    figures = {
        row["merchant_key"]: row
        for row in Purchase.objects.restrict(user, "view")
        .filter(owner_department=department, merchant_key__in=keys)
        .order_by()
        .values("merchant_key")
        .annotate(spend=Sum("amount"), n=Count("pk"), last=Max("purchased_on"))
    }
    answers = {
        a.merchant_id: a
        for a in MerchantAnswer.objects.restrict(user, "view").filter(
            owner_department=department, merchant__in=[m.pk for m in asked]
        )
    }
    questions = []
    for merchant in asked:
        row = figures.get(merchant.key, {})
        answer = answers.get(merchant.pk)
        questions.append(
            Question(
                merchant=merchant,
                spend=row.get("spend") or Decimal(0),
                purchases=row.get("n") or 0,
                last=row.get("last"),
                answer=answer,
                purpose=answer.purpose if answer else "",
                resident_data=answer.resident_data if answer else "",
                version=answer.version if answer else 0,
            )
        )
    questions.sort(key=lambda q: (q.answer is not None, -q.spend, q.merchant.name.lower()))
    return questions


def _department(request: SignedInRequest, data: Any) -> tuple[Department | None, Any]:
    """The department the page is about, and the chooser (None for a liaison, who sees
    their own department)."""
    user = request.user
    if permissions.is_liaison(user):
        return user.department, None
    chooser = DepartmentChoice(user, data or None)
    if chooser.is_bound and chooser.is_valid():
        return chooser.cleaned_data["department"], chooser
    return None, chooser


def _page(
    request: SignedInRequest,
    department: Department | None,
    chooser: Any,
    page_number: Any,
    refused: Question | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    page, questions, unanswered = None, [], 0
    if department is not None:
        questions = _questions(user, department)
        unanswered = sum(1 for q in questions if q.answer is None)
        if refused is not None:
            placed = False
            for n, q in enumerate(questions):
                if q.merchant.pk == refused.merchant.pk:
                    refused.answer = q.answer
                    refused.spend, refused.purchases, refused.last = q.spend, q.purchases, q.last
                    questions[n] = refused
                    placed = True
            if not placed:  # a merchant the department is not asked about: say so on top
                said = [m for ms in refused.errors.values() for m in ms] or [refused.conflict]
                messages.error(request, f"{refused.merchant}: not saved. {' '.join(said)}")
        page = Paginator(questions, PER_PAGE).get_page(page_number)
    query = {"department": department.pk} if department is not None and chooser else {}
    return render(
        request,
        "shadowit/department_questions.html",
        {
            "department": department,
            "chooser": chooser,
            "page": page,
            "query": "&".join(f"{k}={v}" for k, v in query.items()),
            "count": len(questions),
            "unanswered": unanswered,
            "may_answer": department is not None
            and permissions.can_add(user, MerchantAnswer, department.pk),
            "own": permissions.is_liaison(user),
            "choices": MerchantAnswer.ResidentData.choices,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def department_questions(request: SignedInRequest) -> HttpResponse:
    """The department's questions; a POST answers one of them."""
    if request.method == "POST":
        return _answer(request)
    department, chooser = _department(request, request.GET)
    status = 400 if chooser is not None and chooser.is_bound and not chooser.is_valid() else 200
    return _page(request, department, chooser, request.GET.get("page"), status=status)


def _number(value: str) -> int | None:
    return whole_number(value, 11)


def _answer(request: SignedInRequest) -> HttpResponse:
    """Keep one answer. The department is the one the form names, for everyone: the write
    path, not this page, refuses a liaison naming another department (403)."""
    user, post = request.user, request.POST
    department = (
        Department.objects.restrict(user, "view")
        .filter(pk=_number(post.get("department", "")) or 0)
        .first()
    )
    if department is None:
        messages.error(request, "Choose a department first.")
        return redirect("shadowit:department_questions")
    chooser = None
    if not permissions.is_liaison(user):
        chooser = DepartmentChoice(user, {"department": department.pk})
        chooser.is_valid()
    merchant = get_object_or_404(
        Merchant.objects.restrict(user, "view"), pk=_number(post.get("merchant", "")) or 0
    )
    purpose = post.get("purpose", "")[:20000]
    resident_data = post.get("resident_data", "")
    version = _number(post.get("version", ""))
    page_number = post.get("page", "")
    refused = Question(
        merchant=merchant,
        spend=Decimal(0),
        purchases=0,
        last=None,
        answer=None,
        purpose=purpose,
        resident_data=resident_data,
        version=version or 0,
    )
    try:
        shadow_services.answer(user, merchant, department, purpose, resident_data, version=version)
    except services.ConflictError as exc:
        current = exc.current
        assert isinstance(current, MerchantAnswer)
        refused.version = current.version
        refused.conflict = (
            f"{exc} Saved meanwhile: “{current.purpose}”; holds residents' data: "
            f"{current.get_resident_data_display().lower()}. Save again to keep yours instead."
        )
        return _page(request, department, chooser, page_number, refused, status=409)
    except ValidationError as exc:
        refused.errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        )
        return _page(request, department, chooser, page_number, refused, status=400)
    messages.success(request, f"{department}: the answer about {merchant} is saved.")
    query = [f"department={department.pk}"] if chooser is not None else []
    if _number(page_number):
        query.append(f"page={_number(page_number)}")
    address = reverse("shadowit:department_questions")
    return redirect(address + ("?" + "&".join(query) if query else "") + f"#answer-{merchant.pk}")


# --- the merchant's page ------------------------------------------------------------------


def merchant_answers(request: Any, obj: Merchant) -> dict[str, Any]:
    """Each department's answer about the merchant that the reader may see, and whether the
    reader may record a security review."""
    answers = MerchantAnswer.objects.restrict(request.user, "view").filter(merchant=obj)
    return {
        "merchant_answers": list(
            answers.select_related("owner_department").order_by("owner_department__name")
        ),
        "can_review": permissions.is_it_staff(request.user),
    }


@require_POST
def security_review(request: SignedInRequest, pk: int) -> HttpResponse:
    """Record that IT reviewed the merchant's security today."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff record a security review.")
    merchant = get_object_or_404(Merchant.objects.restrict(request.user, "view"), pk=pk)
    try:
        shadow_services.record_security_review(
            request.user, merchant, version=_number(request.POST.get("version", ""))
        )
        messages.success(request, f"{merchant}: security review recorded today.")
    except services.ConflictError as exc:
        messages.error(request, f"Someone changed this merchant meanwhile: {exc}")
    except ValidationError as exc:
        messages.error(request, f"Nothing was changed: {' '.join(exc.messages)}")
    return redirect(merchant)
