"""Double-entry book of every dollar that moves in a run.

Every transfer debits one account and credits another by the same amount,
so the sum of all balances is always zero. People's accounts keep one row
per category (retail sales, fees, commissions, ...) so that each
participant's net profit is the sum of its business rows; the outside
accounts (company, suppliers, lead vendors, third parties) keep one balance
each. Each person also has a cash balance updated at every transfer, which
`check` compares with the sum of its rows.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Row(IntEnum):
    """Ledger categories of a person's account (sign: + money in, - money out)."""

    RETAIL_SALES = 0  # + retail price received from own customers (resale plans)
    RESALE_COST = 1  # - wholesale paid for the units resold to customers
    COMMISSION_PERSONAL = 2  # + commissions on own sales / own customers
    COMMISSION_OVERRIDE = 3  # + commissions on other participants' volume
    FEES = 4  # - starter kit, monthly and training fees
    OWN_USE = 5  # - wholesale paid for product the participant consumes
    EXCESS = 6  # - product bought beyond own use and resale, to qualify
    LEADS = 7  # - bought leads
    EXPENSES = 8  # - other running costs of the business
    CONSUMPTION = 9  # - retail price paid as a customer


BUSINESS_ROWS = (
    Row.RETAIL_SALES,
    Row.RESALE_COST,
    Row.COMMISSION_PERSONAL,
    Row.COMMISSION_OVERRIDE,
    Row.FEES,
    Row.EXCESS,
    Row.LEADS,
    Row.EXPENSES,
)
"""Rows whose sum is a participant's net profit (own use and consumption are not business)."""


class Account(IntEnum):
    """Accounts outside the population."""

    COMPANY = 0
    SUPPLIERS = 1  # cost of goods
    LEAD_VENDORS = 2
    THIRD_PARTIES = 3  # running costs of participants' businesses
    OUTSIDE_UPLINES = 4  # commissions to uplines outside the modelled market


class Ledger:
    """Balances of every person (by row) and of the outside accounts.

    Args:
        n_people: number of person accounts.
    """

    def __init__(self, n_people: int) -> None:
        self.rows = np.zeros((len(Row), n_people))
        self.cash = np.zeros(n_people)
        self.outside = np.zeros(len(Account))
        self.company_receipts = 0.0
        self.company_cogs = 0.0
        self.company_commissions = 0.0

    def person_to_outside(
        self, people: np.ndarray, amounts: np.ndarray, row: Row, account: Account
    ) -> None:
        """People pay an outside account (people must be unique)."""
        total = self._debit(people, amounts, row)
        self.outside[account] += total
        if account == Account.COMPANY:
            self.company_receipts += total

    def outside_to_person(
        self, account: Account, people: np.ndarray, amounts: np.ndarray, row: Row
    ) -> None:
        """An outside account pays people (people must be unique)."""
        total = self._credit(people, amounts, row)
        self.outside[account] -= total
        if account == Account.COMPANY:
            self.company_commissions += total

    def person_to_person(
        self,
        payers: np.ndarray,
        payees: np.ndarray,
        amounts: np.ndarray,
        payer_row: Row,
        payee_row: Row,
    ) -> None:
        """Payments between people (payers unique; payees may repeat)."""
        self._debit(payers, amounts, payer_row)
        n = self.cash.size
        received = np.bincount(payees, weights=amounts, minlength=n)
        self.rows[payee_row] += received
        self.cash += received

    def company_pays_outside_uplines(self, amount: float) -> None:
        """The company pays commissions to uplines outside the modelled market."""
        self.outside[Account.COMPANY] -= amount
        self.outside[Account.OUTSIDE_UPLINES] += amount
        self.company_commissions += amount

    def company_buys_goods(self, amount: float) -> None:
        """The company pays its suppliers for goods shipped."""
        self.outside[Account.COMPANY] -= amount
        self.outside[Account.SUPPLIERS] += amount
        self.company_cogs += amount

    def net_profit(self) -> np.ndarray:
        """Business net profit of every person (sum of the business rows)."""
        total = self.rows[BUSINESS_ROWS[0]].copy()
        for row in BUSINESS_ROWS[1:]:
            total += self.rows[row]
        return total

    def gross_income(self) -> np.ndarray:
        """Gross business income of every person: retail margin plus commissions."""
        rows = self.rows
        return (
            rows[Row.RETAIL_SALES]
            + rows[Row.RESALE_COST]
            + rows[Row.COMMISSION_PERSONAL]
            + rows[Row.COMMISSION_OVERRIDE]
        )

    def check(self, rtol: float = 1e-9) -> None:
        """Assert the book balances.

        Raises:
            AssertionError: naming the identity that does not hold.
        """
        scale = max(1.0, float(np.abs(self.rows).sum()))
        total = self.cash.sum() + self.outside.sum()
        if abs(total) > rtol * scale:
            raise AssertionError(f"money is not conserved: all balances sum to {total}")
        gap = np.abs(self.cash - self.rows.sum(axis=0)).max(initial=0.0)
        if gap > rtol * scale:
            raise AssertionError(f"a person's cash differs from the sum of its rows by {gap}")
        margin = self.company_receipts - self.company_cogs - self.company_commissions
        if abs(margin - self.outside[Account.COMPANY]) > rtol * scale:
            raise AssertionError("company balance differs from receipts - cogs - commissions")

    def _debit(self, people: np.ndarray, amounts: np.ndarray, row: Row) -> float:
        self.rows[row, people] -= amounts
        self.cash[people] -= amounts
        return float(np.sum(amounts))

    def _credit(self, people: np.ndarray, amounts: np.ndarray, row: Row) -> float:
        self.rows[row, people] += amounts
        self.cash[people] += amounts
        return float(np.sum(amounts))

    def net_profit_of(self, person: int) -> float:
        """Business net profit of one person."""
        return float(self.rows[list(BUSINESS_ROWS), person].sum())
