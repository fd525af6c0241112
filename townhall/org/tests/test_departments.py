from townhall.core.testing import ResourceContract
from townhall.org.models import Department


class TestDepartmentContract(ResourceContract):
    model = Department
    owned = False

    def data(self, departments, n=1):
        return {"name": f"Department {n}", "code": f"D{n}", "employees": 10 + n}
