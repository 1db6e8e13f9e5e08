"""What happens to a delegation that others act on (the messages area writes the e-mails).

Each signal is sent inside the transaction of the change, so whatever a receiver adds to the
session (an outbox message) is committed with the change or rolled back with it.
"""

from blinker import Namespace

signals = Namespace()

# sender: the new Delegation
registered = signals.signal("delegation-registered")
# sender: the Delegation; old: its former DelegationStatus; by_contact: whether the contact did it
status_changed = signals.signal("delegation-status-changed")
# sender: the Delegation; members: the Members just added to it
members_added = signals.signal("delegation-members-added")
