"""config.wsgi: what the first requests load is frozen out of garbage collection too."""

import gc

from config.wsgi import FreezeAfterWarmUp


def test_the_application_is_frozen_again_after_its_warm_up_requests(monkeypatch):
    frozen_at = []
    served = []

    def app(environ, start_response):
        served.append(environ["n"])
        return [b"ok"]

    wrapped = FreezeAfterWarmUp(app, after=(2, 4))
    monkeypatch.setattr(gc, "freeze", lambda: frozen_at.append(len(served)))
    for n in range(6):
        assert wrapped({"n": n}, None) == [b"ok"]
    # Frozen as the 2nd and the 4th request begin, and never again.
    assert frozen_at == [1, 3]
    assert served == list(range(6))
