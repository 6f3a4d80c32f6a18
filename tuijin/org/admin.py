from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Liaison, Membership, Unit, UnitAlias, User


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "aliases__name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["code"]
    inlines = [UnitAliasInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class TuijinUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "title", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "display_name"]  # phones are sealed: the database cannot search them
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Tuijin"), {"fields": ["display_name", "title", "phone", "code"]}),
    ]
    readonly_fields = ["code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["unit", "name", "position", "masked_phone", "office_phone", "updated_at"]
    search_fields = ["unit__name", "name"]
    autocomplete_fields = ["unit", "user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued on the "My API tokens" page or by `tuijin token`, where the key can be shown once."""

    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
