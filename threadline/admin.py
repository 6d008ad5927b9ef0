from django.contrib import admin

from threadline.models import Comment, Commenter, Flag, ModerationEvent, Site, Story


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "premoderation", "guest_posting")
    filter_horizontal = ("moderators",)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("title", "site", "url", "comment_count", "is_open")
    list_filter = ("site", "is_open")
    search_fields = ("title", "url")
    readonly_fields = ("comment_count", "version")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "author_name", "story", "status", "created_at")
    list_filter = ("status", "site")
    search_fields = ("body", "author_name", "author_email")
    raw_id_fields = ("parent", "root", "story", "commenter", "user")
    # Status changes go through the desk's actions so counters and the audit log stay right.
    readonly_fields = ("status", "upvotes", "downvotes", "score", "reply_count", "path", "depth")


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    list_display = ("display_name", "site", "comments_total", "comments_rejected", "banned_forever")
    search_fields = ("display_name", "email", "key")


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "site", "action", "source", "actor", "comment")
    list_filter = ("action", "source", "site")

    def has_change_permission(self, request, obj=None):  # noqa: ANN001,ANN201
        return False


admin.site.register(Flag)
