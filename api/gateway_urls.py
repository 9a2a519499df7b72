"""/api/v1/gateway/: what model gateways ask at runtime."""

from django.urls import path

from api import gateway_views

urlpatterns = [
    path("gateway/decision/", gateway_views.DecisionView.as_view(), name="api_gateway_decision"),
    path("gateway/litellm-config/", gateway_views.LiteLLMConfigView.as_view(), name="api_gateway_litellm_config"),
    path("gateway/portfolio/", gateway_views.PortfolioView.as_view(), name="api_gateway_portfolio"),
]
