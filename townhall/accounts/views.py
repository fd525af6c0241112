"""Sign in (throttled), sign out, password change, and the administrators' user pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from rest_framework import serializers

from townhall.accounts import filters, forms, services, tables
from townhall.accounts.models import User
from townhall.core.registry import Resource, register


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        if username and services.is_locked(username):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                "Too many failed sign-ins for this account. Wait a few minutes and try again, "
                "or ask an administrator to reset your password.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        username = self.request.POST.get("username", "")
        if username:
            services.record_failure(username, self.request.META.get("REMOTE_ADDR"))
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        services.clear_failures(form.get_user().username)
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "usa-input"
            field.widget.attrs.pop("autofocus", None)  # keep the skip link first
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = User
        fields = ["id", *forms.UserForm.Meta.fields, "last_login"]
        read_only_fields = ["id", "last_login"]


USERS = register(
    Resource(
        model=User,
        form=forms.UserForm,
        table=tables.UserTable,
        filterset=filters.UserFilterSet,
        search_fields=["username", "first_name", "last_name", "email"],
        bulk_fields=["role", "department"],
        serializer=UserSerializer,
    )
)
