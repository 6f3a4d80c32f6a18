from django.urls import path

from . import views_orders

urlpatterns = [
    path("orders/", views_orders.order_list, name="order_list"),
    path("orders/<uuid:code>/", views_orders.order_detail, name="order_detail"),
    path("orders/<uuid:code>/docx", views_orders.order_docx, name="order_docx"),
    path("orders/<uuid:code>/<slug:action>", views_orders.order_action, name="order_action"),
    path("tasks/<uuid:task_code>/orders/new", views_orders.order_issue, name="order_issue"),
]
