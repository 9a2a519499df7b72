"""/api/v1/gateway/: what model gateways ask at runtime."""

from django.urls import path

from api import gateway_views

urlpatterns = [
    path("gateway/decision/", gateway_views.DecisionView.as_view(), name="api_gateway_decision"),
]
