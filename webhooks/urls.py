from django.urls import path

from webhooks import views

urlpatterns = [
    path("", views.endpoints, name="webhook_endpoints"),
    path("new/", views.endpoint_new, name="webhook_endpoint_new"),
    path("<id:pk>/", views.endpoint, name="webhook_endpoint"),
    path("<id:pk>/disable/", views.endpoint_disable, name="webhook_endpoint_disable"),
    path("<id:pk>/enable/", views.endpoint_enable, name="webhook_endpoint_enable"),
    path("<id:pk>/rotate-secret/", views.endpoint_rotate, name="webhook_endpoint_rotate"),
    path("<id:pk>/ping/", views.endpoint_ping, name="webhook_endpoint_ping"),
    path("<id:pk>/delete/", views.endpoint_delete, name="webhook_endpoint_delete"),
    path("deliveries/<id:pk>/retry/", views.delivery_retry, name="webhook_delivery_retry"),
]
