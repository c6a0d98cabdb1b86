// Entry of the scratch React Native app: imports the package the way an app
// written for the OneWelcome React Native SDK does (default export, Events, Types).
import { AppRegistry } from 'react-native';
import OneginiSdk, { Events, OneginiError } from '@openmobileauth/react-native-sdk';

function App() {
  return null;
}

const subscription = OneginiSdk.addEventListener(Events.SdkNotification.PinCreate, (event) => {
  if (event.action === Events.PinCreate.Open) OneginiSdk.submitPin(Events.PinFlow.Create, '12345');
});
OneginiSdk.startClient().catch((err) => {
  if (err instanceof OneginiError) console.warn(err.code);
  subscription.remove();
});

AppRegistry.registerComponent('scratch', () => App);
