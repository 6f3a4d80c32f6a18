from django.contrib import admin

from .models import Delivery, Notification, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "state", "attempts", "sent_at", "last_attempt_at", "error"]
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "level", "created_at", "read_at"]
    list_filter = ["kind", "level"]
    search_fields = ["title", "key", "user__username", "user__display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]
    inlines = [DeliveryInline]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mode", "digest_hour", "email", "last_digest_on"]
    list_filter = ["mode", "email"]
    search_fields = ["user__username", "user__display_name", "email_address"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_digest_on"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "state", "attempts", "sent_at", "error"]
    list_filter = ["channel", "state"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification"]
