"""The state of the plan, below every feature that shows it.

Who may see what of each share (:mod:`.visibility`), the stored current state and its check
(:mod:`.current`), the plan at a moment (:mod:`.snapshot`), a meeting's kept state at its
cut-off (:mod:`.meeting_states`), the reporting periods (:mod:`.calendar`) and the roll-up of
shares into a recommendation (:mod:`.rollup`). Reports, meetings, the dashboard and reporting
import these and never each other.
"""
