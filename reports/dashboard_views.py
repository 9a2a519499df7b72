from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.dashboard import dashboard


@require_GET
@login_required
def home(request):
    """What each role needs first: owners their requests and who they wait for, reviewers their queue,
    executives the portfolio."""
    return render(request, "reports/home.html", dashboard(request.user))
