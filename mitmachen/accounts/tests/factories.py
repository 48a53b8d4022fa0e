import factory

from mitmachen.accounts.models import User

PASSWORD = "ein-sicheres-Passwort-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    # factory_boy passes the created user where a method would have self.
    def verified(user: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Give the user a verified primary address (allauth needs it to log in)."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
