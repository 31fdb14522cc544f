/* global window, document */
// The page script: synthetic shadow first (as in Lightning Experience, so SLDS
// styles the base components), then the card with the page's props.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import ContinuityOwner from 'c/continuityOwner';

const state = window.__CARD_STATE__ || {};
const element = createElement('c-continuity-owner', { is: ContinuityOwner });
Object.assign(element, { recordId: '0035g00000XyZ12AAB', objectApiName: 'Contact' }, state.props);
document.getElementById('card').appendChild(element);
window.__CARD_READY__ = true;
