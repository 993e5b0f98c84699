"""E-mail: messages are written to the outbox with the event that causes them and sent by a
background job (see ``outbox`` and ``messages``)."""
