from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance.permissions import has_any_role
from reports.dashboard import dashboard


@require_GET
@login_required
def home(request):
    """What each role needs first: owners their requests and who they wait for, reviewers their queue,
    executives the portfolio; a person with no role, where to ask for one."""
    user = request.user
    context = {**dashboard(user), "has_no_role": not has_any_role(user)}
    return render(request, "reports/home.html", context)
