from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
    path("preferences/test/<str:channel>/", views.notification_test, name="notification_test"),
]
