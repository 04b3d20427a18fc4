import factory
from django.contrib.auth.hashers import make_password

from shenpi.accounts.constants import AccountType
from shenpi.accounts.models import User

PASSWORD = "Test#Passw0rd"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    account_type = AccountType.PERSON
    mobile = "13800000000"
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
